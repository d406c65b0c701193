//! Related briefings: up to five that cover the most of briefing `i`'s
//! events, then share the most of its tags. Two briefings cover the same
//! event when they give it the same date, as written (`2024-10` is not
//! `2024-10-22`; an `end` is not compared), and titles with the same slug
//! (`BRICS summit, Kazan` and `BRICS Summit – Kazan`), so briefings on one
//! event are related without a shared tag. Candidates are the members of
//! each of its tags and shared events nearest to it in time (ten either
//! side), so the cost follows a briefing's own tags and events, never the
//! size of a tag.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use crate::briefing::Briefing;
use crate::date::PartialDate;
use crate::site::Site;
use crate::url::slugify;

/// How many related briefings a briefing page shows.
const RELATED: usize = 5;
/// How far either side in time, within one tag or event, related briefings
/// are sought.
const RELATED_WINDOW: usize = 10;

/// The events more than one briefing covers.
#[derive(Debug, Clone, Default)]
pub struct SharedEvents {
    /// Each such event's briefings (indices into `Site::briefings`, newest
    /// first); in the order of these lists, so the same sources give the
    /// same order.
    pub events: Vec<Vec<usize>>,
    /// Per briefing, the indices into `events` of those it covers.
    pub of: Vec<Vec<usize>>,
}

impl SharedEvents {
    /// `briefings` newest first, as `Site` holds them.
    pub fn new(briefings: &[Arc<Briefing>]) -> SharedEvents {
        let keys: Vec<Vec<(PartialDate, String)>> = briefings
            .par_iter()
            .map(|b| {
                // A title with no letters or digits (`???`) names no event.
                b.events
                    .iter()
                    .map(|e| (e.date, slugify(&e.title)))
                    .filter(|(_, slug)| !slug.is_empty())
                    .collect()
            })
            .collect();
        let mut members: HashMap<(PartialDate, String), Vec<usize>> = HashMap::new();
        for (i, keys) in keys.into_iter().enumerate() {
            for key in keys {
                let list = members.entry(key).or_default();
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
        }
        let mut events: Vec<Vec<usize>> = members.into_values().filter(|m| m.len() > 1).collect();
        events.sort_unstable();
        let mut of = vec![Vec::new(); briefings.len()];
        for (e, members) in events.iter().enumerate() {
            for &i in members {
                of[i].push(e);
            }
        }
        SharedEvents { events, of }
    }
}

impl Site {
    /// Up to five briefings related to briefing `i` (see the module
    /// comment): the most shared events, then the most shared tags, then
    /// the closer in time, then the newer.
    pub fn related(&self, i: usize) -> Vec<usize> {
        let (tags, events) = (&self.briefing_tags[i], &self.shared_events.of[i]);
        let mut candidates: Vec<usize> = self
            .related_candidates(i)
            .flatten()
            .copied()
            .filter(|&j| j != i)
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        let shared =
            |mine: &[usize], theirs: &[usize]| theirs.iter().filter(|x| mine.contains(x)).count();
        let mut ranked: Vec<(usize, usize, usize, usize)> = candidates
            .into_iter()
            .map(|j| {
                (
                    shared(events, &self.shared_events.of[j]),
                    shared(tags, &self.briefing_tags[j]),
                    j.abs_diff(i),
                    j,
                )
            })
            .collect();
        ranked.sort_by(|a, b| {
            (b.0, b.1)
                .cmp(&(a.0, a.1))
                .then((a.2, a.3).cmp(&(b.2, b.3)))
        });
        ranked.into_iter().take(RELATED).map(|(.., j)| j).collect()
    }

    /// For each tag and shared event of briefing `i`, the briefings nearest
    /// to it in time among its members: everything `related` looks at. A
    /// window is symmetric, so `i` is among `j`'s candidates exactly when
    /// `j` is among `i`'s (`pages::showing_briefing` relies on it).
    pub fn related_candidates(&self, i: usize) -> impl Iterator<Item = &[usize]> {
        let tags = self.briefing_tags[i]
            .iter()
            .map(|&t| self.tags[t].briefings.as_slice());
        let events = self.shared_events.of[i]
            .iter()
            .map(|&e| self.shared_events.events[e].as_slice());
        tags.chain(events).map(move |members| {
            let at = members.binary_search(&i).unwrap_or_else(|at| at);
            let from = at.saturating_sub(RELATED_WINDOW);
            let to = (at + RELATED_WINDOW + 1).min(members.len());
            &members[from..to]
        })
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::config::Config;
    use crate::content::{Content, Publish, assemble};
    use crate::document::{Document, load};
    use crate::site::Site;

    /// A site of briefings `(slug, date, tags, events as "date|title")`.
    fn site(briefings: &[(&str, &str, &str, &[&str])]) -> Site {
        let config = Config::parse("title: T\nbase_url: https://e.org/\n").unwrap();
        let documents: Vec<Document> = briefings
            .iter()
            .map(|(slug, date, tags, events)| {
                let events: String = events
                    .iter()
                    .map(|e| {
                        let (date, title) = e.split_once('|').unwrap();
                        format!("  - date: \"{date}\"\n    title: \"{title}\"\n")
                    })
                    .collect();
                let text = format!(
                    "---\ntitle: {slug}\ndate: {date}\ntags: [{tags}]\nevents:\n{events}---\nBody.\n"
                );
                let name = format!("briefings/{slug}.md");
                load(Path::new(&name), Path::new(&name), &text, &config).unwrap()
            })
            .collect();
        let publish = Publish {
            drafts: false,
            future: true,
            expired: true,
            today: jiff::civil::date(2024, 1, 1),
        };
        let content: Content = assemble(Path::new("/nowhere"), documents, Vec::new(), &publish);
        Site::new(config, content)
    }

    fn related(site: &Site, slug: &str) -> Vec<String> {
        let i = site.briefings.iter().position(|b| b.slug == slug).unwrap();
        site.related(i)
            .into_iter()
            .map(|j| site.briefings[j].slug.clone())
            .collect()
    }

    #[test]
    fn a_shared_event_relates_and_ranks_above_shared_tags() {
        let site = site(&[
            (
                "a",
                "2024-10-25",
                "x, y",
                &["2024-10-22|BRICS summit, Kazan"],
            ),
            (
                "event",
                "2024-10-01",
                "z",
                &["2024-10-22|BRICS Summit – Kazan!"],
            ),
            ("two-tags", "2024-10-24", "x, y", &[]),
            ("month", "2024-10-26", "m", &["2024-10|BRICS summit, Kazan"]),
            ("q1", "2024-10-27", "w", &["2024-10-22|???"]),
            ("q2", "2024-10-28", "v", &["2024-10-22|!!!"]),
        ]);
        // The event-only relation comes first although it is furthest in
        // time and the other shares two tags.
        assert_eq!(related(&site, "a"), ["event", "two-tags"]);
        assert_eq!(related(&site, "event"), ["a"]);
        // Another precision is another event; a title without letters or
        // digits names none.
        assert!(related(&site, "month").is_empty());
        assert!(related(&site, "q1").is_empty());
        assert_eq!(site.shared_events.events.len(), 1);
    }
}
