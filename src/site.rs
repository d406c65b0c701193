//! The site model: `Site { config, briefings, pages, tags, timeline }` built
//! from loaded content. Plain data, no IO: briefings newest first, tags merged
//! by slug (`North Korea` and `north-korea` are one tag), neighbours and
//! related briefings. Every order has an explicit tie-breaker so the same
//! sources always give the same site.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use rayon::slice::ParallelSliceMut;

use crate::briefing::Briefing;
use crate::config::Config;
use crate::content::Content;
use crate::markdown::{HUGO_REF, LinkTarget, POST_URL, is_source_link};
use crate::standalone::Page;
use crate::timeline::Timeline;
use crate::url::BaseUrl;

/// How many related briefings a briefing page shows.
const RELATED: usize = 5;
/// How far either side in time, within one tag, related briefings are sought.
const RELATED_WINDOW: usize = 10;

#[derive(Debug, Clone)]
pub struct Site {
    /// The site folder; briefing bodies are read from its `content/` when
    /// their pages are made.
    pub root: PathBuf,
    pub config: Config,
    pub base: BaseUrl,
    /// Newest first; ties by slug.
    pub briefings: Vec<Arc<Briefing>>,
    /// By weight, then title.
    pub pages: Vec<Arc<Page>>,
    /// By slug.
    pub tags: Vec<Tag>,
    /// Per briefing, the indices into `tags` of its tags, in its own order.
    pub briefing_tags: Vec<Vec<usize>>,
    pub timeline: Timeline,
    /// Files under `content/` to copy as they are.
    pub files: Vec<PathBuf>,
    /// Every briefing and page by its file under `content/`, for links.
    pub sources: HashMap<PathBuf, Doc>,
    /// The briefings and pages whose bodies link to source files.
    pub linkers: Vec<Doc>,
    /// The templates in the site's own `templates/`: those a page may ask
    /// for by `layout:` or `template =` (see `PageId::template`).
    pub layouts: BTreeSet<String>,
}

/// A briefing or a standalone page, by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Doc {
    Briefing(usize),
    Page(usize),
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
        let base = config.base_url.clone();
        let Content {
            root,
            mut briefings,
            mut pages,
            files,
        } = content;
        briefings.par_sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug)));
        pages.sort_by(|a, b| (a.weight, &a.title, &a.slug).cmp(&(b.weight, &b.title, &b.slug)));
        let ((tags, briefing_tags), timeline) = rayon::join(
            || collect_tags(&briefings),
            || Timeline::new(&briefings, config.timeline.order),
        );
        let sources = briefings
            .iter()
            .enumerate()
            .map(|(i, b)| (b.source_path.clone(), Doc::Briefing(i)))
            .chain(
                pages
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (p.source_path.clone(), Doc::Page(i))),
            )
            .collect();
        let linkers = briefings
            .iter()
            .enumerate()
            .filter(|(_, b)| !b.links.is_empty())
            .map(|(i, _)| Doc::Briefing(i))
            .chain(
                pages
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| !p.links.is_empty())
                    .map(|(i, _)| Doc::Page(i)),
            )
            .collect();
        Site {
            root,
            linkers,
            config,
            base,
            briefings,
            pages,
            tags,
            briefing_tags,
            timeline,
            files,
            sources,
            layouts: BTreeSet::new(),
        }
    }

    /// The site with the names of its own templates.
    pub fn with_layouts(mut self, layouts: BTreeSet<String>) -> Site {
        self.layouts = layouts;
        self
    }

    /// The older and the newer neighbour of briefing `i`.
    pub fn neighbours(&self, i: usize) -> (Option<usize>, Option<usize>) {
        let older = (i + 1 < self.briefings.len()).then_some(i + 1);
        let newer = i.checked_sub(1);
        (older, newer)
    }

    /// Up to five briefings sharing the most tags with briefing `i`, chosen
    /// among its nearest neighbours in time within each of its tags (so the
    /// cost does not grow with the size of a tag); ties go to the closer in
    /// time, then the newer.
    pub fn related(&self, i: usize) -> Vec<usize> {
        let mine = &self.briefing_tags[i];
        let mut candidates: Vec<usize> = self
            .related_candidates(i)
            .flatten()
            .copied()
            .filter(|&j| j != i)
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        let shared = |j: usize| {
            self.briefing_tags[j]
                .iter()
                .filter(|t| mine.contains(t))
                .count()
        };
        let mut ranked: Vec<(usize, usize, usize)> = candidates
            .into_iter()
            .map(|j| (shared(j), j.abs_diff(i), j))
            .collect();
        ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        ranked
            .into_iter()
            .take(RELATED)
            .map(|(_, _, j)| j)
            .collect()
    }

    /// For each tag of briefing `i`, the briefings nearest to it in time
    /// within that tag: everything `related` looks at.
    pub fn related_candidates(&self, i: usize) -> impl Iterator<Item = &[usize]> {
        self.briefing_tags[i].iter().map(move |&t| {
            let members = &self.tags[t].briefings;
            let at = members.binary_search(&i).unwrap_or_else(|at| at);
            let from = at.saturating_sub(RELATED_WINDOW);
            let to = (at + RELATED_WINDOW + 1).min(members.len());
            &members[from..to]
        })
    }

    /// Where a link written in the source file `from` (under `content/`)
    /// goes: links to other source files become their pages' URLs, and a
    /// missing file or heading is broken.
    pub fn resolve_link(&self, from: &Path, dest: &str) -> LinkTarget {
        if !is_source_link(dest) {
            return LinkTarget::Keep;
        }
        let (path, fragment) = match dest.split_once('#') {
            Some((path, fragment)) => (path, Some(fragment)),
            None => (dest, None),
        };
        let path = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
        if let Some(name) = path.strip_prefix(POST_URL) {
            // Jekyll's `post_url` names a post by its file name alone.
            let found = self
                .sources
                .keys()
                .find(|p| p.file_stem().is_some_and(|s| s == name));
            return match found {
                Some(p) => self.resolve_link(Path::new(""), &format!("@/{}", p.display())),
                None => LinkTarget::Broken(format!(
                    "`{{% post_url {name} %}}`: no post named {name}.md in content/"
                )),
            };
        }
        if let Some(name) = path.strip_prefix(HUGO_REF) {
            let shown = format!("{{{{< ref \"{}\" >}}}}", &dest[HUGO_REF.len()..]);
            return match self.find_ref(from, name) {
                Ok(target) => self.link_to(&target, &shown, fragment),
                Err(tried) => {
                    LinkTarget::Broken(format!("`{shown}`: there is no {}", tried.join(", ")))
                }
            };
        }
        let target = match path.strip_prefix("@/") {
            Some(rest) => normalize(Path::new(rest)),
            None => normalize(&from.parent().unwrap_or(Path::new("")).join(path.as_ref())),
        };
        let Some(target) = target else {
            return LinkTarget::Broken(format!("`{dest}`: it points outside content/"));
        };
        if !self.sources.contains_key(&target) {
            return LinkTarget::Broken(format!(
                "`{dest}`: there is no content/{} (or it is a draft); name the Markdown file relative to this one, or from content/ as @/briefings/name.md",
                target.display()
            ));
        }
        self.link_to(&target, dest, fragment)
    }

    /// The source file a Hugo `ref` names, found as Hugo finds it: a name
    /// without a leading `/` relative to the file first (and, for a bundle's
    /// `index.md`, to the bundle's folder), then from `content/`; a name
    /// without an extension is `name.md` or the bundle `name/index.md`.
    /// Else the files tried, as `content/...`.
    fn find_ref(&self, from: &Path, name: &str) -> Result<PathBuf, Vec<String>> {
        let folder = from.parent().unwrap_or(Path::new(""));
        let bundle = from.file_stem().is_some_and(|s| s == "index");
        let bases: Vec<&Path> = match name.strip_prefix('/') {
            Some(_) => vec![Path::new("")],
            None => [Some(folder), folder.parent().filter(|_| bundle)]
                .into_iter()
                .flatten()
                .chain([Path::new("")])
                .collect(),
        };
        let name = name.trim_start_matches('/');
        let files = match Path::new(name).extension() {
            Some(_) => vec![name.to_string()],
            None => vec![format!("{name}.md"), format!("{name}/index.md")],
        };
        let mut tried: Vec<PathBuf> = Vec::new();
        for base in bases {
            for candidate in files.iter().filter_map(|f| normalize(&base.join(f))) {
                if self.sources.contains_key(&candidate) {
                    return Ok(candidate);
                }
                if !tried.contains(&candidate) {
                    tried.push(candidate);
                }
            }
        }
        Err(tried
            .iter()
            .map(|p| format!("content/{}", p.display()))
            .collect())
    }

    /// The URL of the source file `target` (which exists), with a fragment
    /// that must name one of its headings; `dest` is the link as written.
    fn link_to(&self, target: &Path, dest: &str, fragment: Option<&str>) -> LinkTarget {
        let (site_path, anchors) = match self.sources[target] {
            Doc::Briefing(i) => (&self.briefings[i].path, &self.briefings[i].anchors),
            Doc::Page(i) => (&self.pages[i].path, &self.pages[i].anchors),
        };
        match fragment {
            Some(f) if !f.is_empty() && !anchors.iter().any(|a| a == f) => {
                LinkTarget::Broken(format!(
                    "`{dest}`: content/{} has no heading with the id `{f}` (its headings: {})",
                    target.display(),
                    if anchors.is_empty() {
                        "none".to_string()
                    } else {
                        anchors.join(", ")
                    }
                ))
            }
            Some(f) if !f.is_empty() => {
                LinkTarget::Url(format!("{}#{f}", self.base.url(site_path)))
            }
            _ => LinkTarget::Url(self.base.url(site_path)),
        }
    }

    pub fn event_count(&self) -> usize {
        self.briefings.iter().map(|b| b.events.len()).sum()
    }
}

/// `a/./b/../c` -> `a/c`; None when it climbs out of its root.
fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

/// Merges tags by slug. The display name is the spelling used most; on a tie
/// the one that is not just the slug (`North Korea` over `north-korea`), then
/// the alphabetically first.
fn collect_tags(briefings: &[Arc<Briefing>]) -> (Vec<Tag>, Vec<Vec<usize>>) {
    let mut spellings: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    let mut members: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, b) in briefings.iter().enumerate() {
        for tag in &b.tags {
            *spellings
                .entry(&tag.slug)
                .or_default()
                .entry(&tag.name)
                .or_default() += 1;
            members.entry(&tag.slug).or_default().push(i);
        }
    }
    let tags: Vec<Tag> = members
        .into_iter()
        .map(|(slug, briefings)| {
            let name = spellings[slug]
                .iter()
                .max_by(|a, b| {
                    a.1.cmp(b.1)
                        .then((*a.0 != slug).cmp(&(*b.0 != slug)))
                        .then(b.0.cmp(a.0))
                })
                .map_or(slug, |(name, _)| name)
                .to_string();
            Tag {
                name,
                slug: slug.to_string(),
                briefings,
            }
        })
        .collect();
    let index: HashMap<&str, usize> = tags
        .iter()
        .enumerate()
        .map(|(i, t)| (t.slug.as_str(), i))
        .collect();
    let briefing_tags = briefings
        .iter()
        .map(|b| b.tags.iter().map(|t| index[t.slug.as_str()]).collect())
        .collect();
    (tags, briefing_tags)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Document, load};

    fn site(files: &[(&str, &str)]) -> Site {
        let config = Config::parse("title: T\nbase_url: https://example.org/\n").unwrap();
        let mut content = Content {
            root: PathBuf::new(),
            briefings: Vec::new(),
            pages: Vec::new(),
            files: Vec::new(),
        };
        for (path, title) in files {
            let relative = Path::new(path);
            let text = format!("---\ntitle: {title}\ndate: 2020-01-01\n---\n## Part two\n");
            match load(
                &Path::new("content").join(relative),
                relative,
                &text,
                &config,
            )
            .unwrap()
            {
                Document::Briefing(b) => content.briefings.push(b),
                Document::Page(p) => content.pages.push(p),
            }
        }
        Site::new(config, content)
    }

    /// Issue #10, item 11: Hugo's rule for a `ref` without a leading slash.
    #[test]
    fn hugo_refs_resolve_relative_to_the_file_then_from_content() {
        let site = site(&[
            ("post/a.md", "A"),
            ("post/other.md", "Other"),
            ("post/bundle/index.md", "Bundle"),
            ("notes/note.md", "Note"),
        ]);
        for (from, name, url) in [
            ("post/a.md", "other", "/briefings/other/"),
            (
                "post/a.md",
                "other.md#part-two",
                "/briefings/other/#part-two",
            ),
            ("post/a.md", "bundle", "/briefings/bundle/"),
            ("post/a.md", "notes/note", "/briefings/note/"),
            ("post/a.md", "/post/other", "/briefings/other/"),
            ("post/bundle/index.md", "other", "/briefings/other/"),
            ("notes/note.md", "../post/a.md", "/briefings/a/"),
        ] {
            let got = site.resolve_link(Path::new(from), &format!("{HUGO_REF}{name}"));
            assert_eq!(got, LinkTarget::Url(url.to_string()), "{from}: {name}");
        }
        let broken = |name: &str| match site.resolve_link(Path::new("post/a.md"), name) {
            LinkTarget::Broken(why) => why,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            broken("@ref:missing"),
            "`{{< ref \"missing\" >}}`: there is no content/post/missing.md, content/post/missing/index.md, content/missing.md, content/missing/index.md"
        );
        assert_eq!(
            broken("@ref:/other"),
            "`{{< ref \"/other\" >}}`: there is no content/other.md, content/other/index.md",
            "a leading slash is from content/ only"
        );
        assert_eq!(
            broken("@ref:other#nope"),
            "`{{< ref \"other#nope\" >}}`: content/post/other.md has no heading with the id `nope` (its headings: part-two)"
        );
    }
}
