//! Standalone `Page`s: the Markdown files under `content/pages/` (an about
//! page, a colophon), which have a title and a URL but no date, tags or
//! events, and stay out of the index, the tags and the timeline. Reading the
//! front matter and checking the title and slug is shared with briefings in
//! `document::load`; this module makes the page from what that checked.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::briefing::Head;
use crate::date::Date;
use crate::diagnostic::Diagnostic;
use crate::hash::hash_of;

use crate::url::BaseUrl;

/// The folder under `content/` whose Markdown files are standalone pages.
pub const PAGES_DIR: &str = "pages";

/// A standalone page from `content/pages/`.
#[derive(Debug, Clone)]
pub struct Page {
    pub source_path: PathBuf,
    pub title: String,
    pub slug: String,
    pub path: String,
    pub weight: i64,
    pub draft: bool,
    /// Hugo's `publishDate` (or `pubDate`) and `expiryDate`, which decide
    /// whether it is published as for briefings (`content::Publish`).
    pub publish_date: Option<Date>,
    pub expiry_date: Option<Date>,
    /// The template it asks for (see `Head::template`).
    pub template: Option<String>,
    /// Front-matter warnings (a key written twice, a title from the file
    /// name).
    pub warnings: Vec<Diagnostic>,
    pub extra: BTreeMap<String, serde_yaml::Value>,
    /// The Markdown body and the file line it starts on: rendered when the
    /// page is written, with its links resolved.
    pub body: String,
    pub body_line: usize,
    pub anchors: Vec<String>,
    pub links: Vec<String>,
    pub source_hash: u64,
    /// What the site model reads of a page: where it is and how the
    /// navigation lists it.
    pub model_hash: u64,
}

/// Whether a file under `content/` (given relative to it) is a standalone
/// page: one inside `pages/`, not a file named `pages`.
pub fn is_page(relative: &Path) -> bool {
    relative
        .components()
        .next()
        .is_some_and(|c| c.as_os_str() == PAGES_DIR)
        && relative.components().count() > 1
}

impl Page {
    /// Makes the page from a file whose title and slug are checked. Only the
    /// body's anchors and links are read now; its HTML is made when the page
    /// is written.
    pub(crate) fn new(head: Head, base: &BaseUrl, site: &serde_yaml::Value) -> Page {
        let page = crate::shortcodes::PageVars {
            title: &head.title,
            date: None,
            extra: &head.matter.extra,
            site,
        };
        let body = crate::shortcodes::translate_file(head.relative, head.split.body, base, &page);
        let scan = crate::markdown_scan::scan(&body.text);
        let path = head.path;
        let matter = head.matter;
        let draft = matter.draft.unwrap_or(false) || crate::moved_in::not_rendered_by_hugo(&matter);
        let weight = matter.weight.unwrap_or(0);
        let template = head.template;
        let publish_date = matter.publish_date.or(matter.pub_date);
        let expiry_date = matter.expiry_date;
        Page {
            source_path: head.relative.to_path_buf(),
            model_hash: hash_of((head.relative, &head.title, &path, weight, draft, &template)),
            title: head.title,
            path,
            slug: head.slug,
            weight,
            draft,
            publish_date,
            expiry_date,
            template,
            warnings: matter.warnings,
            extra: matter.extra,
            body: head.split.body.to_string(),
            body_line: head.split.body_line,
            anchors: scan.anchors,
            links: scan.links,
            source_hash: head.source_hash,
        }
    }
}
