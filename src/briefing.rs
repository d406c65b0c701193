//! `Briefing`, `Event`, `Source`: a briefing checked and complete, which
//! the rest of the build trusts. `Briefing::new` completes what
//! `document::load` checked: the URL from the permalink, the summary,
//! authors, tags, aliases and draft state, and the body read for its words,
//! anchors and links. `load` and `Document` are re-exported from
//! `document.rs`, standalone `Page`s from `standalone.rs`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::date::{Date, PartialDate};
use crate::diagnostic::Diagnostic;
use crate::front_matter::{self, FrontMatter, Split};
use crate::hash::hash_of;
use crate::locale::Locale;
use crate::markdown;
use crate::url::{bounded, site_path, slugify};

/// A content file whose front matter is read and whose title and slug are
/// checked: what a briefing and a standalone page are both made from.
pub(crate) struct Head<'a> {
    /// The file's path under `content/`.
    pub relative: &'a Path,
    pub matter: FrontMatter,
    pub title: String,
    pub slug: String,
    /// The site path: the page's own URL, else the site's pattern.
    pub path: String,
    /// The template the page asks for (`layout:`, `template =`), as a file
    /// name under `templates/`; `pages.rs` decides whether it is used.
    pub template: Option<String>,
    /// The front matter (for the lines of its keys) and the Markdown after
    /// it, with the file line it starts on.
    pub split: Split<'a>,
    pub source_hash: u64,
}

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
    /// Per taxonomy (in `config.taxonomies`' order), its terms as written
    /// with their slugs, one per slug; `taxonomy.rs` merges them across
    /// briefings.
    pub terms: Vec<Vec<TagName>>,
    pub authors: Vec<String>,
    pub draft: bool,
    pub events: Vec<Event>,
    pub sources: Vec<Source>,
    /// Key judgements, as written.
    pub judgements: Vec<Judgement>,
    /// The update history, newest first (on one day, as written).
    pub updates: Vec<Update>,
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
    /// `redirect_from`), never its own path.
    pub aliases: Vec<String>,
    /// The template it asks for (see `Head::template`).
    pub template: Option<String>,
    /// Hugo's `publishDate` (or `pubDate`): not published before that day.
    pub publish_date: Option<Date>,
    /// Hugo's `expiryDate`: not published from that day on.
    pub expiry_date: Option<Date>,
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
    /// Makes the briefing from a checked file (`document::load`): reads the
    /// body (summary, words, anchors, links) and completes what the front
    /// matter left out.
    /// An unknown citation id is an error, at its line.
    pub(crate) fn new(
        head: Head,
        date: Date,
        events: Vec<Event>,
        config: &Config,
    ) -> Result<Briefing, Vec<Diagnostic>> {
        let page = crate::shortcodes::PageVars {
            title: &decode_entities(&head.title),
            date: Some(date),
            extra: &head.matter.extra,
            site: &config.extra,
        };
        let body = crate::shortcodes::translate_file(
            head.relative,
            head.split.body,
            &config.base_url,
            &page,
        );
        let scan = crate::markdown_scan::scan(&body.text);
        let cited = crate::markdown_cite::citations(&body.text);
        let Head {
            relative,
            matter,
            title,
            slug,
            path,
            template,
            source_hash,
            split,
        } = head;
        let judgements: Vec<Judgement> = matter
            .judgements
            .iter()
            .map(|j| Judgement {
                text: decode_entities(&j.text.0),
                confidence: j.confidence,
            })
            .collect();
        // Without a written summary, the key judgements are one.
        let first = if judgements.is_empty() {
            crate::markdown_cite::without_citations(&scan.first_paragraph)
        } else {
            Judgement::sentence(&judgements, &config.locale)
        };
        let summary = summary(&matter, &first);
        let mut updates: Vec<Update> = matter
            .updates
            .iter()
            .map(|u| Update {
                date: u.date,
                note: decode_entities(&u.note.0),
                kind: u.kind,
            })
            .collect();
        updates.sort_by_key(|u| std::cmp::Reverse(u.date));
        let draft = is_draft(&matter);
        let FrontMatter {
            authors,
            author,
            sources,
            tags,
            mut terms,
            extra,
            updated,
            mut warnings,
            publish_date,
            pub_date,
            expiry_date,
            ..
        } = matter;
        let shown = Path::new(crate::config::CONTENT_DIR).join(relative);
        let aliases = redirect_paths(&extra, &path, (&shown, &split), &mut warnings);
        let at = |offset: usize| {
            split.body_line
                + body.text[..offset.min(body.text.len())]
                    .matches('\n')
                    .count()
        };
        let sources = cited_sources(sources, &cited, &shown, &at)?;
        let mut authors: Vec<String> = authors.map(|a| a.0).unwrap_or_default();
        authors.extend(author.map(|a| a.0).unwrap_or_default());
        // `Name ([@x](https://…))`, as Eleventy sites write it: shown as text.
        for a in &mut authors {
            if let Some(plain) = crate::markdown_scan::inline_text(a) {
                *a = plain;
            }
        }
        let mut tags = Some(tags);
        let terms = config
            .taxonomies
            .iter()
            .map(|t| match t.name.as_str() {
                crate::taxonomy::TAGS => tag_names(tags.take().unwrap_or_default()),
                crate::taxonomy::AUTHORS => tag_names(authors.clone()),
                name => tag_names(terms.remove(name).unwrap_or_default()),
            })
            .collect();
        Ok(Briefing {
            source_path: relative.to_path_buf(),
            path,
            title: decode_entities(&title),
            slug,
            date,
            summary,
            terms,
            authors,
            draft,
            events,
            sources,
            judgements,
            updated: updated.or_else(|| updates.first().map(|u| u.date)),
            updates,
            extra,
            reading_time: markdown::reading_time(scan.word_count),
            word_count: scan.word_count,
            anchors: scan.anchors,
            links: scan.links,
            unsupported: body.unsupported,
            warnings,
            aliases,
            template,
            publish_date: publish_date.or(pub_date),
            expiry_date,
            source_hash,
            model_hash: 0,
        }
        .with_model_hash())
    }

    /// Fills `model_hash` from the fields the site model and the pages
    /// that do not show the briefing's summary read.
    fn with_model_hash(mut self) -> Briefing {
        let b = &self;
        self.model_hash = hash_of((
            (&b.source_path, &b.path, &b.slug, &b.title),
            (&b.date, &b.updated, &b.events, &b.terms, &b.updates),
            (b.draft, &b.aliases, &b.template),
            (&b.publish_date, &b.expiry_date),
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

/// An entry of the update history.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Update {
    pub date: Date,
    pub note: String,
    pub kind: front_matter::UpdateKind,
}

/// A key judgement and how sure it is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Judgement {
    pub text: String,
    pub confidence: front_matter::Confidence,
}

impl Judgement {
    /// `Text (high confidence).` in the site's language
    /// (`judgement_sentence` and the `confidence_*` words), for the
    /// summary and the JSON-LD abstract.
    pub fn sentence(judgements: &[Judgement], locale: &Locale) -> String {
        judgements
            .iter()
            .map(|j| {
                let key = match j.confidence {
                    front_matter::Confidence::Low => "confidence_low",
                    front_matter::Confidence::Moderate => "confidence_moderate",
                    front_matter::Confidence::High => "confidence_high",
                };
                let word = locale.word(key, None, &[]).unwrap_or_default();
                let mut chars = word.chars();
                let word: String = match chars.next() {
                    Some(first) => first.to_lowercase().chain(chars).collect(),
                    None => String::new(),
                };
                let text = j.text.trim().trim_end_matches(['.', '。']);
                // The confidence first: a judgement may hold `{confidence}`.
                let args = [("confidence", word), ("text", text.to_string())];
                locale
                    .word("judgement_sentence", None, &args)
                    .unwrap_or_default()
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A `sources:` entry. A briefing keeps them in the order its Sources
/// list shows: the cited ones in order of first citation, then the rest
/// as written; each is numbered by its place.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Source {
    pub title: String,
    pub url: String,
    /// What `[@id]` cites it by.
    pub id: Option<String>,
    /// How many times the body cites it.
    pub citations: usize,
}

/// The sources in the order their list shows (see `Source`), each with
/// its number of citations; a citation of an id no source has is an
/// error at its line (`at` turns a body offset into a file line), and so
/// is an id given twice.
fn cited_sources(
    written: Vec<front_matter::SourceMatter>,
    cited: &[crate::markdown_cite::Citation],
    shown: &Path,
    at: &dyn Fn(usize) -> usize,
) -> Result<Vec<Source>, Vec<Diagnostic>> {
    let mut sources: Vec<Source> = written
        .into_iter()
        .map(|s| Source {
            title: s.title.0,
            url: s.url.0,
            id: s.id.map(|id| id.0.trim().to_string()),
            citations: 0,
        })
        .collect();
    let mut errors = Vec::new();
    let known: Vec<&str> = sources.iter().filter_map(|s| s.id.as_deref()).collect();
    for (i, id) in known.iter().enumerate() {
        if known[..i].contains(id) {
            errors.push(Diagnostic::new(
                shown,
                format!("sources: the id `{id}` is given to two sources: make each id unique"),
            ));
        }
    }
    let known_list = if known.is_empty() {
        "none: give a `sources:` entry an `id:`".to_string()
    } else {
        known
            .iter()
            .map(|id| format!("`{id}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    // The order of first citation: (first citation's index, written index).
    let mut first: Vec<Option<usize>> = vec![None; sources.len()];
    let mut k = 0;
    for citation in cited {
        for id in &citation.ids {
            match sources.iter().position(|s| s.id.as_deref() == Some(id.as_str())) {
                Some(i) => {
                    first[i].get_or_insert(k);
                    sources[i].citations += 1;
                    k += 1;
                }
                None => errors.push(
                    Diagnostic::new(
                        shown,
                        format!(
                            "`[@{id}]` cites no source: the known source ids are {known_list} (write `\\[@{id}]` to show it as text)"
                        ),
                    )
                    .at(at(citation.offset), None),
                ),
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut order: Vec<usize> = (0..sources.len()).collect();
    order.sort_by_key(|&i| (first[i].unwrap_or(usize::MAX), i));
    let mut slots: Vec<Option<Source>> = sources.into_iter().map(Some).collect();
    Ok(order
        .into_iter()
        .map(|i| slots[i].take().expect("each index once"))
        .collect())
}

/// The summary as written, else the body's `<!-- more -->` break or first
/// paragraph. Jekyll's `excerpt`, Hugo's `description` and a `deck` serve
/// when `summary` is absent or empty.
fn summary(matter: &FrontMatter, first_paragraph: &str) -> String {
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
    match written {
        Some(written) => plain_text(&written),
        None => decode_entities(first_paragraph),
    }
}

/// A front-matter text as plain text: its inline Markdown read
/// (`markdown_scan::inline_text`), else its entities decoded.
pub(crate) fn plain_text(written: &str) -> String {
    crate::markdown_scan::inline_text(written).unwrap_or_else(|| decode_entities(written))
}

/// `draft: true`, Jekyll's `published: false`, or a file Hugo makes no
/// page of (`crate::moved_in::not_rendered_by_hugo`).
fn is_draft(matter: &FrontMatter) -> bool {
    let unpublished = matches!(
        matter.extra.get("published"),
        Some(serde_yaml::Value::Bool(false))
    );
    matter.draft.unwrap_or(false) || unpublished || crate::moved_in::not_rendered_by_hugo(matter)
}

/// The site paths of `aliases` and `redirect_from` (a list or one
/// string), made as `url::site_path` makes them: `/old/post` and
/// `old/post` both become `/old/post/`, `releases/1.88.0` becomes
/// `/releases/1.88.0/`, `/old.html` stays a file. The page's own path is
/// dropped without a word (Jekyll posts often list it); one that cannot be
/// a path of this site (an empty one too) is dropped with a warning at
/// its key's line.
fn redirect_paths(
    extra: &BTreeMap<String, serde_yaml::Value>,
    own: &str,
    (shown, split): (&Path, &Split),
    warnings: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let mut paths = Vec::new();
    for key in ["aliases", "redirect_from"] {
        let values: Vec<&serde_yaml::Value> = match extra.get(key) {
            Some(serde_yaml::Value::Sequence(items)) => items.iter().collect(),
            Some(serde_yaml::Value::Null) | None => Vec::new(),
            Some(value) => vec![value],
        };
        for value in values {
            let written = match value {
                serde_yaml::Value::String(s) => site_path(s).map_err(|why| (s.clone(), why)),
                other => Err((
                    serde_yaml::to_string(other)
                        .unwrap_or_default()
                        .trim()
                        .to_string(),
                    "it is not a path",
                )),
            };
            match written {
                Ok(path) if path == own || paths.contains(&path) => {}
                Ok(path) => paths.push(path),
                Err((value, why)) => {
                    let value = if value.trim().is_empty() {
                        "\"\"".to_string()
                    } else {
                        shown_as_text(&value)
                    };
                    let line = front_matter::key_line(split, key).unwrap_or(1);
                    warnings.push(
                        Diagnostic::new(
                            shown,
                            format!("`{key}`: `{value}` is not written ({why})"),
                        )
                        .at(line, None),
                    );
                }
            }
        }
    }
    paths
}

/// A written value for a message, its control characters (a NUL) escaped
/// so that the terminal shows them.
pub(crate) fn shown_as_text(value: &str) -> String {
    value
        .chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
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
        let slug = bounded(slugify(&name));
        if !slug.is_empty() && !names.iter().any(|t| t.slug == slug) {
            names.push(TagName { name, slug });
        }
    }
    names
}
