//! Links in a body: which name other source files (`kazan.md`,
//! `@/briefings/x.md`, Jekyll's `post_url` and Hugo's `ref` as
//! `shortcodes.rs` writes them), and the adapter that rewrites them through
//! `Site::resolve_link` while the body is rendered, collecting the broken
//! ones.

use pulldown_cmark::{CowStr, Event, Tag};

use crate::markdown_attrs::Spanned;

/// The prefix of a link to a post named by its file name (Jekyll's
/// `post_url`), resolved by `Site::resolve_link`.
pub const POST_URL: &str = "@post:";
/// The prefix of a link to a page named as Hugo's `ref` and `relref` name
/// it (`other-post`, `../x.md#a`, `/blog/y`), resolved by `Site::resolve_link`.
pub const HUGO_REF: &str = "@ref:";

/// Whether a link destination names a source file: a relative path to a
/// `.md` file, or any path from the content root as `@/briefings/x.md`.
pub fn is_source_link(dest: &str) -> bool {
    let path = dest.split(['#', '?']).next().unwrap_or("");
    if path.starts_with("@/") || path.starts_with(POST_URL) || path.starts_with(HUGO_REF) {
        return true;
    }
    let external = path.is_empty() || path.starts_with('/') || path.contains(':');
    !external && (path.ends_with(".md") || path.ends_with(".markdown"))
}

/// Where a link to another source file (`kazan.md`, `@/briefings/x.md#a`)
/// goes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LinkTarget {
    /// Not a link to a source file: left as written.
    Keep,
    Url(String),
    /// A source file or heading that does not exist: why.
    Broken(String),
}

/// A link that could not be resolved: its byte offset in the body and why.
pub type BrokenLink = (usize, String);

/// Rewrites links to source files through `resolve` and collects the broken
/// ones.
pub(crate) struct Linked<'r, I> {
    inner: I,
    resolve: &'r dyn Fn(&str) -> LinkTarget,
    pub broken: Vec<BrokenLink>,
}

impl<'a, I: Iterator<Item = Spanned<'a>>> Iterator for Linked<'_, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        let (mut event, range) = self.inner.next()?;
        if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = &mut event {
            let written = std::mem::replace(dest_url, CowStr::Borrowed(""));
            *dest_url = self.rewrite(written, range.start);
        }
        Some(event)
    }
}

impl<'r, I> Linked<'r, I> {
    pub fn new(inner: I, resolve: &'r dyn Fn(&str) -> LinkTarget) -> Self {
        Linked {
            inner,
            resolve,
            broken: Vec::new(),
        }
    }

    fn rewrite<'a>(&mut self, dest: CowStr<'a>, offset: usize) -> CowStr<'a> {
        match (self.resolve)(&dest) {
            LinkTarget::Keep => dest,
            LinkTarget::Url(url) => CowStr::from(url),
            LinkTarget::Broken(why) => {
                self.broken.push((offset, why));
                dest
            }
        }
    }
}
