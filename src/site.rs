//! The site model: `Site { config, briefings, pages, tags, timeline }` built
//! from loaded content. Plain data, no IO: briefings newest first, tags merged
//! by slug (`North Korea` and `north-korea` are one tag), neighbours and
//! related briefings. Every order has an explicit tie-breaker so the same
//! sources always give the same site.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use crate::briefing::{Briefing, Page};
use crate::config::Config;
use crate::content::Content;
use crate::timeline::Timeline;
use crate::url::{BaseUrl, slugify};

/// How many related briefings a briefing page shows.
const RELATED: usize = 5;

#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub base: BaseUrl,
    /// Newest first; ties by slug.
    pub briefings: Vec<Briefing>,
    /// By weight, then title.
    pub pages: Vec<Page>,
    /// By slug.
    pub tags: Vec<Tag>,
    /// Per briefing, the indices into `tags` of its tags, in its own order.
    pub briefing_tags: Vec<Vec<usize>>,
    pub timeline: Timeline,
    /// Files under `content/` to copy as they are.
    pub files: Vec<PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub name: String,
    pub slug: String,
    /// Indices into `Site::briefings`, newest first.
    pub briefings: Vec<usize>,
}

impl Tag {
    pub fn path(&self) -> String {
        format!("/tags/{}/", self.slug)
    }
}

impl Site {
    pub fn new(config: Config, content: Content) -> Site {
        let base = BaseUrl::parse(&config.base_url)
            .expect("base_url is checked when the config is parsed");
        let Content {
            mut briefings,
            mut pages,
            files,
        } = content;
        briefings.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug)));
        pages.sort_by(|a, b| (a.weight, &a.title, &a.slug).cmp(&(b.weight, &b.title, &b.slug)));
        let (tags, briefing_tags) = collect_tags(&briefings);
        let timeline = Timeline::new(&briefings, config.timeline.order);
        Site {
            config,
            base,
            briefings,
            pages,
            tags,
            briefing_tags,
            timeline,
            files,
        }
    }

    /// The older and the newer neighbour of briefing `i`.
    pub fn neighbours(&self, i: usize) -> (Option<usize>, Option<usize>) {
        let older = (i + 1 < self.briefings.len()).then_some(i + 1);
        let newer = i.checked_sub(1);
        (older, newer)
    }

    /// Up to five briefings sharing the most tags with briefing `i`, then the
    /// newest first.
    pub fn related(&self, i: usize) -> Vec<usize> {
        let mut shared: HashMap<usize, usize> = HashMap::new();
        for &t in &self.briefing_tags[i] {
            for &other in &self.tags[t].briefings {
                if other != i {
                    *shared.entry(other).or_default() += 1;
                }
            }
        }
        let mut ranked: Vec<(usize, usize)> = shared.into_iter().collect();
        // Briefing indices are already newest-first, so the index breaks ties.
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.into_iter().take(RELATED).map(|(j, _)| j).collect()
    }

    pub fn event_count(&self) -> usize {
        self.briefings.iter().map(|b| b.events.len()).sum()
    }
}

/// Merges tags by slug. The display name is the spelling used most; on a tie
/// the one that is not just the slug (`North Korea` over `north-korea`), then
/// the alphabetically first.
fn collect_tags(briefings: &[Briefing]) -> (Vec<Tag>, Vec<Vec<usize>>) {
    let mut spellings: BTreeMap<String, BTreeMap<&str, usize>> = BTreeMap::new();
    let mut members: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut per_briefing_slugs = Vec::with_capacity(briefings.len());
    for (i, b) in briefings.iter().enumerate() {
        let mut slugs: Vec<String> = Vec::new();
        for name in &b.tags {
            let slug = slugify(name);
            if slug.is_empty() || slugs.contains(&slug) {
                continue;
            }
            *spellings
                .entry(slug.clone())
                .or_default()
                .entry(name)
                .or_default() += 1;
            members.entry(slug.clone()).or_default().push(i);
            slugs.push(slug);
        }
        per_briefing_slugs.push(slugs);
    }
    let tags: Vec<Tag> = members
        .into_iter()
        .map(|(slug, briefings)| {
            let name = spellings[&slug]
                .iter()
                .max_by(|a, b| {
                    a.1.cmp(b.1)
                        .then((*a.0 != slug).cmp(&(*b.0 != slug)))
                        .then(b.0.cmp(a.0))
                })
                .map(|(name, _)| name.to_string())
                .unwrap_or_else(|| slug.clone());
            Tag {
                name,
                slug,
                briefings,
            }
        })
        .collect();
    let index: HashMap<&str, usize> = tags
        .iter()
        .enumerate()
        .map(|(i, t)| (t.slug.as_str(), i))
        .collect();
    let briefing_tags = per_briefing_slugs
        .iter()
        .map(|slugs| slugs.iter().map(|s| index[s.as_str()]).collect())
        .collect();
    (tags, briefing_tags)
}
